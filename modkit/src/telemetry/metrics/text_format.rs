//! The two text formats `/metrics` answers in, chosen by the scraper's `Accept` header.
//!
//! `prometheus-client` writes OpenMetrics, which Prometheus asks for. Tools that read only
//! the older Prometheus text format (`promtool check metrics`, many agents) name a counter
//! by its sample (`foo_total`) where OpenMetrics names the family (`foo`), and know no
//! `# UNIT` or `# EOF` lines; for them the OpenMetrics text is rewritten line by line.

use std::fmt::Write;

/// Which text `/metrics` answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// OpenMetrics 1.0.0 (`application/openmetrics-text`), what Prometheus asks for.
    OpenMetrics,
    /// The Prometheus text format 0.0.4 (`text/plain`), for everything else.
    Prometheus,
}

impl TextFormat {
    /// The format a scraper sending `accept` reads best.
    ///
    /// ```
    /// use modkit::telemetry::metrics::TextFormat;
    ///
    /// let prometheus = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";
    /// assert_eq!(TextFormat::negotiate(Some(prometheus)), TextFormat::OpenMetrics);
    /// assert_eq!(TextFormat::negotiate(None), TextFormat::Prometheus);
    /// ```
    pub fn negotiate(accept: Option<&str>) -> Self {
        match accept {
            Some(accept) if accept.contains("application/openmetrics-text") => Self::OpenMetrics,
            _ => Self::Prometheus,
        }
    }

    /// The `Content-Type` of an answer in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Self::Prometheus => "text/plain; version=0.0.4; charset=utf-8",
        }
    }
}

/// `openmetrics` (as `prometheus-client` writes it) in the Prometheus text format.
pub(super) fn to_prometheus_text(openmetrics: &str) -> String {
    let mut out = String::with_capacity(openmetrics.len());
    // A family's `# HELP` comes before its `# TYPE`, which says whether the name changes.
    let mut help: Option<&str> = None;
    for line in openmetrics.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            help = Some(rest);
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').unwrap_or((rest, "untyped"));
            let (suffix, kind) = match kind {
                "counter" => ("_total", "counter"),
                "gauge" | "histogram" | "summary" => ("", kind),
                // `info`, `stateset`, `gaugehistogram`, `unknown`: no such types there.
                _ => ("", "untyped"),
            };
            if let Some((_, text)) = help.take().and_then(|help| help.split_once(' ')) {
                let _ = writeln!(out, "# HELP {name}{suffix} {text}");
            }
            let _ = writeln!(out, "# TYPE {name}{suffix} {kind}");
        } else if line.starts_with("# UNIT ") || line == "# EOF" {
            // Neither exists in the Prometheus text format.
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_by_their_sample_and_om_only_lines_go() {
        let openmetrics = "# HELP restarts Restarts.\n# TYPE restarts counter\nrestarts_total{module=\"a\"} 2\n\
                           # HELP took_seconds Time.\n# TYPE took_seconds gauge\n# UNIT took_seconds seconds\ntook_seconds 1.5\n# EOF\n";
        assert_eq!(
            to_prometheus_text(openmetrics),
            "# HELP restarts_total Restarts.\n# TYPE restarts_total counter\nrestarts_total{module=\"a\"} 2\n\
             # HELP took_seconds Time.\n# TYPE took_seconds gauge\ntook_seconds 1.5\n"
        );
    }
}
