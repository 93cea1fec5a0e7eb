//! `hookshape token reset`: a new generated admin token, when the old one is lost. Only
//! hashes of tokens are kept, so a token cannot be shown again; run it with the server
//! stopped.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::store::Store;

#[derive(Debug, clap::Args)]
pub struct ResetArgs {
    /// The data directory [default: ./hookshape-data].
    #[arg(long, env = "HOOKSHAPE_DATA_DIR", default_value = "hookshape-data")]
    data_dir: PathBuf,
}

pub fn reset(args: &ResetArgs) -> ExitCode {
    if !crate::store::holds_embedded_data(&args.data_dir) {
        eprintln!("error: {} holds no hookshape data", args.data_dir.display());
        return ExitCode::FAILURE;
    }
    let reset = super::runtime(false)
        .map_err(crate::store::StoreError::Engine)
        .and_then(|rt| {
            rt.block_on(async {
                let store = Store::open(&args.data_dir).await?;
                let token = store
                    .reset_bootstrap_token(crate::server::new_admin_token)
                    .await;
                store.close().await;
                token
            })
        });
    match reset {
        Ok(token) => {
            println!("new admin token (shown once; the old one no longer works): {token}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
