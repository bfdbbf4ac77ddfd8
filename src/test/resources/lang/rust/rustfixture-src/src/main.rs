//! A small real Rust program whose audit data lists runtime and build dependencies.
cfg_if::cfg_if! {
    if #[cfg(unix)] {
        const OS: &str = "unix";
    } else {
        const OS: &str = "other";
    }
}

fn main() {
    let mut buf = itoa::Buffer::new();
    let n = std::env::args().count();
    println!("{} {}", OS, buf.format(n));
}
