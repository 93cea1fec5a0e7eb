//! A valid component that exports some other world: the host must refuse it.

wit_bindgen::generate!({
    inline: "package test:other; world other { export run: func() -> string; }",
});

struct Other;

impl Guest for Other {
    fn run() -> String {
        "not a hookshape plugin".into()
    }
}

export!(Other);
