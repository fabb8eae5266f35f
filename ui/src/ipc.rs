//! The bridge to the desktop shell: the commands `wenshu_api::command` declares, called with
//! their typed arguments through `window.__TAURI__.core.invoke`; progress through a Tauri
//! channel, file drops through Tauri's drag-and-drop event, and the open and save dialogs.
//! Errors come back as `{code, message}` ([`ErrorInfo`]).

use js_sys::{Array, Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wenshu_api::command::Command;
use wenshu_api::messages;
use wenshu_api::{ErrorCode, ErrorInfo, Progress};

/// An error from a command, or from the bridge itself (code [`ErrorCode::Bridge`]).
pub type Failure = ErrorInfo;

fn bridge(detail: impl std::fmt::Display) -> Failure {
    ErrorInfo::new(ErrorCode::Bridge, messages::desktop::bridge(detail))
}

fn tauri(path: &[&str]) -> Result<JsValue, Failure> {
    let mut value: JsValue = js_sys::global().into();
    for (i, name) in ["__TAURI__"].iter().chain(path).enumerate() {
        value = Reflect::get(&value, &JsValue::from_str(name))
            .ok()
            .filter(|v| !v.is_undefined())
            .ok_or_else(|| {
                bridge(
                    ["__TAURI__"]
                        .iter()
                        .chain(path)
                        .take(i + 1)
                        .copied()
                        .collect::<Vec<_>>()
                        .join("."),
                )
            })?;
    }
    Ok(value)
}

fn call(path: &[&str], args: &[JsValue]) -> Result<JsValue, Failure> {
    let (name, parent) = path.split_last().ok_or_else(|| bridge("no function"))?;
    let this = tauri(parent)?;
    let f: Function = Reflect::get(&this, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| bridge(format!("{name} is not a function")))?;
    let list: Array = args.iter().collect();
    f.apply(&this, &list).map_err(|e| bridge(format!("{e:?}")))
}

async fn await_promise(value: JsValue) -> Result<JsValue, JsValue> {
    match value.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
}

fn failure(err: JsValue) -> Failure {
    serde_wasm_bindgen::from_value::<Failure>(err.clone())
        .unwrap_or_else(|_| bridge(err.as_string().unwrap_or_else(|| format!("{err:?}"))))
}

fn to_js<A: Serialize>(args: &A) -> Result<JsValue, Failure> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    args.serialize(&serializer)
        .map_err(|e| bridge(e.to_string()))
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, Failure> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bridge(format!("unexpected reply: {e}")))
}

/// The shell's arguments object: the command's typed arguments as `args`.
fn arguments<C: Command>(args: &C) -> Result<JsValue, Failure> {
    let object = js_sys::Object::new();
    Reflect::set(&object, &JsValue::from_str("args"), &to_js(args)?).map_err(failure)?;
    Ok(object.into())
}

/// Calls command `C` of the shell.
pub async fn invoke<C: Command>(args: &C) -> Result<C::Reply, Failure> {
    let promise = call(
        &["core", "invoke"],
        &[JsValue::from_str(C::NAME), arguments(args)?],
    )?;
    let value = await_promise(promise).await.map_err(failure)?;
    from_js(value)
}

/// A channel the shell streams progress into; `on_message` gets each message.
pub struct Channel {
    js: JsValue,
    // Kept alive as long as the channel.
    _callback: Closure<dyn FnMut(JsValue)>,
}

impl Channel {
    pub fn new(mut on_message: impl FnMut(Progress) + 'static) -> Result<Self, Failure> {
        let ctor: Function = tauri(&["core", "Channel"])?
            .dyn_into()
            .map_err(|_| bridge("Channel is not a class"))?;
        let js = Reflect::construct(&ctor, &Array::new()).map_err(failure)?;
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |value: JsValue| {
            if let Ok(message) = serde_wasm_bindgen::from_value::<Progress>(value) {
                on_message(message);
            }
        });
        Reflect::set(&js, &JsValue::from_str("onmessage"), callback.as_ref()).map_err(failure)?;
        Ok(Self {
            js,
            _callback: callback,
        })
    }
}

/// Calls command `C`, which streams its progress into `channel` (the `events` argument).
pub async fn invoke_streaming<C: Command>(
    args: &C,
    channel: &Channel,
) -> Result<C::Reply, Failure> {
    let args = arguments(args)?;
    Reflect::set(&args, &JsValue::from_str("events"), &channel.js).map_err(failure)?;
    let promise = call(&["core", "invoke"], &[JsValue::from_str(C::NAME), args])?;
    let value = await_promise(promise).await.map_err(failure)?;
    from_js(value)
}

/// A file filter for the dialogs.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenOptions<'a> {
    multiple: bool,
    directory: bool,
    filters: &'a [Filter],
}

/// Asks for files (or a folder) to open; empty when the user cancels.
pub async fn pick_open(
    filters: &[Filter],
    multiple: bool,
    directory: bool,
) -> Result<Vec<String>, Failure> {
    let options = to_js(&OpenOptions {
        multiple,
        directory,
        filters,
    })?;
    let value = await_promise(call(&["dialog", "open"], &[options])?)
        .await
        .map_err(failure)?;
    if value.is_null() || value.is_undefined() {
        return Ok(Vec::new());
    }
    if let Some(one) = value.as_string() {
        return Ok(vec![one]);
    }
    from_js(value)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SaveOptions<'a> {
    default_path: &'a str,
    filters: &'a [Filter],
}

/// Asks where to save; `None` when the user cancels.
pub async fn pick_save(default_path: &str, filters: &[Filter]) -> Result<Option<String>, Failure> {
    let options = to_js(&SaveOptions {
        default_path,
        filters,
    })?;
    let value = await_promise(call(&["dialog", "save"], &[options])?)
        .await
        .map_err(failure)?;
    Ok(value.as_string())
}

#[derive(Deserialize)]
struct DropPayload {
    #[serde(default)]
    paths: Vec<String>,
}

#[derive(Deserialize)]
struct DropEvent {
    payload: DropPayload,
}

/// Calls `on_drop` with the paths of files dropped on the window, for as long as the page lives.
pub fn on_file_drop(on_drop: impl Fn(Vec<String>) + 'static) {
    let callback = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
        if let Ok(event) = serde_wasm_bindgen::from_value::<DropEvent>(event)
            && !event.payload.paths.is_empty()
        {
            on_drop(event.payload.paths);
        }
    });
    if call(
        &["event", "listen"],
        &[
            JsValue::from_str("tauri://drag-drop"),
            callback.as_ref().clone(),
        ],
    )
    .is_ok()
    {
        // The listener lives as long as the window.
        callback.forget();
    }
}

/// Copies `text` to the clipboard.
pub fn copy(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}
