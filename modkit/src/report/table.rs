use std::fmt;
use std::time::Duration;

use super::RuntimeReport;
use crate::base::Phase;

/// The start-up report as one text table, for the log.
pub(crate) struct StartupTable<'a>(pub(crate) &'a RuntimeReport);

/// More rows than this and only the slowest modules are listed.
const MAX_ROWS: usize = 40;

const COLUMNS: [Phase; 5] = [
    Phase::PreInit,
    Phase::Db,
    Phase::Init,
    Phase::PostInit,
    Phase::Start,
];

impl fmt::Display for StartupTable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let report = self.0;
        let mut rows: Vec<_> = report.modules.iter().collect();
        let hidden = rows.len().saturating_sub(MAX_ROWS);
        if hidden > 0 {
            rows.sort_by_key(|module| std::cmp::Reverse(module.startup_time()));
            rows.truncate(MAX_ROWS);
        }
        let width = rows
            .iter()
            .map(|m| m.name.len())
            .max()
            .unwrap_or(0)
            .max("module".len());

        write!(f, "{:<width$}  {:<9}", "module", "state")?;
        for phase in COLUMNS {
            write!(f, " {:>10}", phase.as_str())?;
        }
        writeln!(f, " {:>10}", "total")?;
        for module in rows {
            write!(f, "{:<width$}  {:<9}", module.name, module.state.as_str())?;
            for phase in COLUMNS {
                match module.hook(phase) {
                    Some(hook) if hook.outcome.is_ok() => {
                        write!(f, " {:>10}", Millis(hook.duration))?
                    }
                    Some(_) => write!(f, " {:>10}", "FAILED")?,
                    None => write!(f, " {:>10}", "-")?,
                }
            }
            writeln!(f, " {:>10}", Millis(module.startup_time()))?;
        }
        if hidden > 0 {
            writeln!(f, "({hidden} faster modules not shown)")?;
        }
        f.write_str("phases:")?;
        for phase in &report.phases {
            write!(f, " {}={}", phase.phase, Millis(phase.duration))?;
        }
        if let Some(total) = report.startup_duration {
            write!(f, "\nstart-up took {}", Millis(total))?;
        }
        if !report.critical_path.is_empty() {
            write!(f, "; critical path: {}", report.critical_path.join(" -> "))?;
        }
        Ok(())
    }
}

struct Millis(Duration);

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.1}ms", self.0.as_secs_f64() * 1000.0);
        f.pad(&text)
    }
}
