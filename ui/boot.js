// Loads the UI (Rust compiled to WebAssembly) from the app's own files.
import init from './wenshu-ui.js';
init();
