//! The screens of the window, one module each.

pub mod app;
pub mod audit;
pub mod chat;
pub mod check;
pub mod draft;
pub mod eval;
pub mod home;
pub mod kb;
pub mod minutes;
pub mod settings;
pub mod summary;
