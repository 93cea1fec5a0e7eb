//! The `hookshape` command line: `serve`, and the plugin tools.

mod client;
mod forward;
mod keys;
mod manage;
mod plugin_lang;
mod plugin_new;
mod plugin_run;
mod plugin_sdk;
mod plugin_watch;
mod serve;
mod subscriptions;
mod token;
mod tokens;
mod trigger;
mod verify;
mod workspaces;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "hookshape",
    version,
    about = "A webhook dispatcher with WebAssembly plugins"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the webhook service.
    Serve(Box<serve::ServeArgs>),
    /// Work with plugins.
    #[command(alias = "plugins")]
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Workspaces, through the API (`--url`, HOOKSHAPE_TOKEN).
    Workspaces {
        #[command(flatten)]
        target: client::Target,
        #[command(subcommand)]
        command: workspaces::WorkspacesCommand,
    },
    /// API tokens, through the API (`--url`, HOOKSHAPE_TOKEN).
    Tokens {
        #[command(flatten)]
        target: client::Target,
        #[command(subcommand)]
        command: tokens::TokensCommand,
    },
    /// Subscriptions, through the API.
    Subscriptions {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
        #[command(subcommand)]
        command: subscriptions::SubscriptionsCommand,
    },
    /// The event-type catalog, through the API.
    EventTypes {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
        #[command(subcommand)]
        command: manage::EventTypesCommand,
    },
    /// Publish and list events, through the API.
    Events {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
        #[command(subcommand)]
        command: manage::EventsCommand,
    },
    /// Deliveries and their attempts, retry and replay, through the API.
    Deliveries {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
        #[command(subcommand)]
        command: manage::DeliveriesCommand,
    },
    /// Publish the catalog's example of an event type (a test event unless --live).
    Trigger {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
        #[command(flatten)]
        args: trigger::TriggerArgs,
    },
    /// Make a link that opens the integrator portal for a workspace.
    PortalLink {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        args: manage::PortalLinkArgs,
    },
    /// Check a received request's signature (a raw request, or a body with --header, on
    /// standard input); exits 0 when it is valid.
    Verify(verify::VerifyArgs),
    /// Receive deliveries on this machine: `--forward-to URL` relays a server's deliveries to
    /// a local app; without it, a local receiver prints each request and its signature verdict.
    Listen(Box<verify::ListenArgs>),
    /// Print the API's OpenAPI document (what `/openapi.json` serves; the SDKs are generated
    /// from it).
    Openapi,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions { shell: clap_complete::Shell },
    /// The generated admin token.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage the main key that seals signing secrets at rest.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Replace the generated admin token with a new one, printed once (stop the server
    /// first; tokens are kept as hashes, so a lost one cannot be shown).
    Reset(token::ResetArgs),
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Seal every secret again with a new main key (stop the server first).
    Rotate(keys::RotateArgs),
}

#[derive(Debug, Subcommand)]
enum PluginCommand {
    /// Run a plugin on one event with the production runtime and limits.
    Run(plugin_run::RunArgs),
    /// Start a plugin from the template (Rust, Python or JavaScript), wired to the SDK.
    New(plugin_new::NewArgs),
    /// Build a plugin into a component: cargo for a crate, componentize-py for app.py,
    /// componentize-js for app.js.
    Build(plugin_new::BuildArgs),
    /// The plugins a workspace may use: the server's built-ins and those uploaded to it.
    List {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        workspace: manage::In,
    },
    /// Upload a component to the server, through the API.
    Upload {
        #[command(flatten)]
        target: client::Target,
        #[command(flatten)]
        args: plugin_new::UploadArgs,
    },
}

/// Parses the command line and runs it; the exit code says how it went.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        Command::Serve(args) => serve::run(*args),
        Command::Plugin { command } => match command {
            PluginCommand::Run(args) => plugin_run::run(&args),
            PluginCommand::New(args) => plugin_new::new(&args),
            PluginCommand::Build(args) => plugin_new::build(&args),
            PluginCommand::Upload { target, args } => plugin_new::upload(&target, &args),
            PluginCommand::List { target, workspace } => {
                let result = target.call("GET", &workspace.path("plugins"), None);
                finish(
                    &target,
                    result,
                    &["id", "name", "builtin", "size", "created"],
                )
            }
        },
        Command::Verify(args) => verify::verify(&args),
        Command::Listen(args) => verify::listen(&args),
        Command::Openapi => {
            let doc = crate::api::openapi_document();
            println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "hookshape",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Token {
            command: TokenCommand::Reset(args),
        } => token::reset(&args),
        Command::Workspaces { target, command } => workspaces::run(&target, &command),
        Command::Tokens { target, command } => tokens::run(&target, &command),
        Command::Subscriptions {
            target,
            workspace,
            command,
        } => subscriptions::run(&target, &workspace, &command),
        Command::EventTypes {
            target,
            workspace,
            command,
        } => manage::event_types(&target, &workspace, &command),
        Command::Events {
            target,
            workspace,
            command,
        } => manage::events(&target, &workspace, &command),
        Command::Deliveries {
            target,
            workspace,
            command,
        } => manage::deliveries(&target, &workspace, &command),
        Command::Trigger {
            target,
            workspace,
            args,
        } => trigger::trigger(&target, &workspace, &args),
        Command::PortalLink { target, args } => manage::portal_link(&target, &args),
        Command::Keys {
            command: KeysCommand::Rotate(args),
        } => keys::rotate(&args),
    }
}

/// Help and version as clap prints them; a usage mistake as one line with its hint, and
/// exit code 2.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    eprintln!("{}", one_line(&e.render().to_string()));
    ExitCode::from(2)
}

/// clap's message on one line: its parts joined, the usage block and the pointer to
/// `--help` replaced by the command to run for help.
fn one_line(rendered: &str) -> String {
    let mut usage = None;
    let mut parts: Vec<String> = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if let Some(u) = line.strip_prefix("Usage: ") {
            usage = Some(u.to_owned());
        } else if !line.is_empty() && !line.starts_with("For more information") {
            parts.push(line.to_owned());
        }
    }
    let mut text = String::new();
    for part in parts {
        if !text.is_empty() {
            text.push_str(if text.ends_with(':') { " " } else { "; " });
        }
        text.push_str(&part);
    }
    // `hookshape-cli events send --type <T> …` → `hookshape events send --help`.
    if let Some(usage) = usage {
        let words: Vec<&str> = usage
            .split_whitespace()
            .skip(1)
            .take_while(|w| !w.starts_with(['-', '<', '[']))
            .collect();
        text.push_str(&format!(
            " (see `hookshape {}--help`)",
            words.iter().map(|w| format!("{w} ")).collect::<String>()
        ));
    }
    text
}

/// Whether `text` is an http or https URL with a host (`--url`, `--forward-to`).
fn is_http_url(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// Where the command line keeps what it remembers between runs, when the environment names a
/// place: $HOOKSHAPE_CACHE_DIR, else $XDG_CACHE_HOME/hookshape, else ~/.cache/hookshape.
fn cache_root() -> Option<std::path::PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    };
    env("HOOKSHAPE_CACHE_DIR")
        .or_else(|| env("XDG_CACHE_HOME").map(|d| d.join("hookshape")))
        .or_else(|| env("HOME").map(|d| d.join(".cache/hookshape")))
}

/// The async runtime a command runs on: several threads for the server, one otherwise.
fn runtime(multi_thread: bool) -> Result<tokio::runtime::Runtime, String> {
    let mut builder = if multi_thread {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    builder
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// Prints a management command's answer, or its error as one line with a non-zero exit.
fn finish(
    target: &client::Target,
    result: Result<serde_json::Value, String>,
    columns: &[&str],
) -> ExitCode {
    match result {
        Ok(value) => {
            target.print(&value, columns);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    fn said(args: &[&str]) -> String {
        let e = super::Cli::try_parse_from(args).expect_err("a usage mistake");
        super::one_line(&e.render().to_string())
    }

    #[test]
    fn usage_mistakes_are_one_line_with_the_hint() {
        let missing = said(&["hookshape", "events", "send"]);
        assert_eq!(
            missing,
            "error: the following required arguments were not provided: --type <EVENT_TYPE>; \
             --object <OBJECT> (see `hookshape events send --help`)"
        );
        let typo = said(&["hookshape", "evnts", "list"]);
        assert!(!typo.contains('\n'), "{typo}");
        assert!(
            typo.contains("tip: some similar subcommands exist: 'event-types', 'events'"),
            "{typo}"
        );
    }
}
