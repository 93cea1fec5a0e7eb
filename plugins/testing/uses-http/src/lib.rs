//! A component that imports `wasi:http`, which no plugin is granted: the host must refuse it
//! at upload, before looking at its exports.

wit_bindgen::generate!({
    inline: "
        package test:uses-http;
        package wasi:http@0.3.0 {
            interface outgoing-handler { handle: func(url: string) -> string; }
        }
        world uses-http {
            import wasi:http/outgoing-handler@0.3.0;
            export run: func() -> string;
        }
    ",
    generate_all,
});

struct UsesHttp;

impl Guest for UsesHttp {
    fn run() -> String {
        wasi::http::outgoing_handler::handle("http://127.0.0.1:9/")
    }
}

export!(UsesHttp);
