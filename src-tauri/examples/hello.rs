//! The baseline for `cargo xtask bench startup`: a hello-world Tauri app, built from the same
//! dependency versions and profile as Unyo, so the memory comparison is like for like.

fn main() {
    if let Err(e) =
        tauri::Builder::default().run(tauri::generate_context!("examples/hello/tauri.conf.json"))
    {
        eprintln!("hello: {e}");
        std::process::exit(1);
    }
}
