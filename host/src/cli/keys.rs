//! `hookshape keys rotate`: seals every signing secret again with a new main key. Run it
//! while the server is stopped (the data directory is locked while it runs).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::seal;
use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct RotateArgs {
    /// The data directory [default: ./hookshape-data].
    #[arg(long, env = "HOOKSHAPE_DATA_DIR", default_value = "hookshape-data")]
    data_dir: PathBuf,
    /// The key in use when it comes from the environment rather than `main.key`.
    #[arg(
        long = "main-key-from-env-only",
        hide = true,
        env = "HOOKSHAPE_MAIN_KEY"
    )]
    main_key: Option<String>,
    /// With HOOKSHAPE_MAIN_KEY: the new key (base64 of 32 bytes) to seal with; set it as
    /// HOOKSHAPE_MAIN_KEY afterwards.
    #[arg(
        long = "new-key-from-env-only",
        hide = true,
        env = "HOOKSHAPE_NEW_MAIN_KEY"
    )]
    new_key: Option<String>,
}

pub fn rotate(args: &RotateArgs) -> ExitCode {
    match run(args) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the data directory's store with `sealer`, which seals again, as it opens, every
/// secret not sealed with it; how many subscriptions it holds.
fn reseal_with(dir: &std::path::Path, sealer: seal::Sealer) -> Result<usize, String> {
    super::runtime(false)?.block_on(async {
        let store = Store::open_sealed(dir, sealer)
            .await
            .map_err(|e| e.to_string())?;
        let n = store
            .subscriptions()
            .await
            .map_err(|e| e.to_string())?
            .len();
        store.close().await;
        Ok::<_, String>(n)
    })
}

fn run(args: &RotateArgs) -> Result<String, String> {
    let dir = &args.data_dir;
    if !crate::store::holds_embedded_data(dir) {
        return Err(format!("{} holds no hookshape data", dir.display()));
    }
    match (&args.main_key, &args.new_key) {
        (Some(old), Some(new)) => {
            let old = seal::Sealer::from_key(old).map_err(|e| e.to_string())?;
            let sealer = seal::with_new_key(&old, new).map_err(|e| e.to_string())?;
            let key_id = sealer.key_id().to_owned();
            let n = reseal_with(dir, sealer)?;
            Ok(format!(
                "resealed {n} subscriptions' secrets with key {key_id}; \
                 start the server with HOOKSHAPE_MAIN_KEY set to the new key"
            ))
        }
        (Some(_), None) => Err(
            "the main key comes from HOOKSHAPE_MAIN_KEY: give the new one as HOOKSHAPE_NEW_MAIN_KEY"
                .into(),
        ),
        (None, _) => {
            let loaded = seal::load(dir, None).map_err(|e| e.to_string())?;
            let sealer = seal::begin_rotation(dir, &loaded.sealer).map_err(|e| e.to_string())?;
            let key_id = sealer.key_id().to_owned();
            let n = reseal_with(dir, sealer)?;
            seal::finish_rotation(dir).map_err(|e| e.to_string())?;
            Ok(format!(
                "resealed {n} subscriptions' secrets with key {key_id}; {} replaced",
                dir.join("main.key").display()
            ))
        }
    }
}
