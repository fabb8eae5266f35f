//! Messages of the desktop window itself.

catalogue! {
    /// The window cannot reach the shell (opened outside Wenshu, or a reply it cannot read).
    bridge(detail) = "desktop.bridge" {
        zh: "窗口无法与文枢程序通信（{detail}）；请从文枢的窗口中打开",
        en: "the window cannot reach Wenshu ({detail}); open Wenshu from its own window",
    }
}
