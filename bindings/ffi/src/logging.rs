//! The library's log events, routed to the app's logger (Logcat, OSLog).

use std::sync::Arc;

/// How much a log event matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, uniffi::Enum)]
pub enum LogLevel {
    /// Something failed.
    Error,
    /// Something is wrong but the library carries on.
    Warn,
    /// A transaction's steps.
    Info,
    /// Detail for developers.
    Debug,
    /// Everything.
    Trace,
}

impl From<&tracing::Level> for LogLevel {
    fn from(l: &tracing::Level) -> Self {
        match *l {
            tracing::Level::ERROR => Self::Error,
            tracing::Level::WARN => Self::Warn,
            tracing::Level::INFO => Self::Info,
            tracing::Level::DEBUG => Self::Debug,
            tracing::Level::TRACE => Self::Trace,
        }
    }
}

impl From<LogLevel> for tracing_subscriber::filter::LevelFilter {
    fn from(l: LogLevel) -> Self {
        match l {
            LogLevel::Error => Self::ERROR,
            LogLevel::Warn => Self::WARN,
            LogLevel::Info => Self::INFO,
            LogLevel::Debug => Self::DEBUG,
            LogLevel::Trace => Self::TRACE,
        }
    }
}

/// Receives the library's log events (for Logcat / OSLog).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// One event: its level, target and message with its fields.
    fn log(&self, level: LogLevel, target: String, message: String);
}

struct LoggerLayer(Arc<dyn Logger>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for LoggerLayer {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut f = Fields(String::new());
        event.record(&mut f);
        let m = event.metadata();
        self.0.log(m.level().into(), m.target().to_string(), f.0);
    }
}

/// Routes the library's log events at `level` and above to `logger`. The first call wins (a
/// process has one global logger).
#[uniffi::export]
pub fn set_logger(logger: Arc<dyn Logger>, level: LogLevel) -> bool {
    use tracing_subscriber::layer::SubscriberExt;
    let filter = tracing_subscriber::filter::LevelFilter::from(level);
    let subscriber = tracing_subscriber::registry()
        .with(LoggerLayer(logger))
        .with(filter);
    tracing::subscriber::set_global_default(subscriber).is_ok()
}
