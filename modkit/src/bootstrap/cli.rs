//! The host's command line.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::DiffFormat;

/// The command line of a host built with [`run_server`](super::run_server).
#[derive(Debug, Parser)]
#[command(about = "Runs this host's modules", long_about = None)]
pub struct Cli {
    /// The YAML config file; `MODKIT__...` environment variables override its keys.
    #[arg(long, short, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to do (default: `run`).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// One of the host's commands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Run every module until SIGINT or SIGTERM.
    Run,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Validate the modules and the config, print the modules in start order, start nothing.
    ///
    /// (REST paths and gRPC services exist only once modules run their hooks, which `check`
    /// never does: `graph --format json` and start-up check those.)
    Check,
    /// Print the module graph.
    Graph {
        /// The output format.
        #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
        format: GraphFormat,
    },
    /// Print the effective config, with secrets redacted.
    Config,
    /// Compare two `graph --format json` manifests and list what breaks clients or
    /// start-up; exits 1 when something does.
    Diff {
        /// The manifest before the change (main's, say).
        old: PathBuf,
        /// The manifest after it.
        new: PathBuf,
        /// The output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Run as the child process of one of this binary's modules placed `oop` by a host
    /// (what the host's process backend starts; not for use by hand).
    #[cfg(feature = "oop")]
    #[command(hide = true)]
    OopChild,
}

/// How `graph` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
    /// A stable, diffable JSON manifest of every module: deps, capabilities, placement,
    /// migrations, REST routes, gRPC services and declared dependencies whose clients a
    /// module never took. Listing routes, services and unused dependencies runs each
    /// module's `pre_init`, `init`, `post_init` and registration hooks in this process (no
    /// migration, no server, no child process; see `HostRuntime::describe`).
    Json,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_is_the_default_and_config_is_global() {
        let cli = Cli::try_parse_from(["host"]).unwrap();
        assert!(cli.command.is_none());
        let cli = Cli::try_parse_from(["host", "graph", "--format", "json", "--config", "x.yaml"])
            .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Graph {
                format: GraphFormat::Json
            })
        ));
        assert_eq!(cli.config, Some(PathBuf::from("x.yaml")));
        assert!(Cli::try_parse_from(["host", "graph", "--format", "svg"]).is_err());
    }
}
