//! The library's log events, routed to the app's logger (Logcat, OSLog).

use std::sync::Arc;

/// Receives the library's log events (for Logcat / OSLog).
#[uniffi::export(with_foreign)]
pub trait Logger: Send + Sync {
    /// One event: level (`error`..`trace`), target and message with its fields.
    fn log(&self, level: String, target: String, message: String);
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
        self.0.log(
            m.level().to_string().to_lowercase(),
            m.target().to_string(),
            f.0,
        );
    }
}

/// Routes the library's log events at `level` (`error`, `warn`, `info`, `debug`, `trace`) and
/// above to `logger`. The first call wins (a process has one global logger).
#[uniffi::export]
pub fn set_logger(logger: Arc<dyn Logger>, level: String) -> bool {
    use tracing_subscriber::layer::SubscriberExt;
    let filter = level
        .parse::<tracing_subscriber::filter::LevelFilter>()
        .unwrap_or(tracing_subscriber::filter::LevelFilter::INFO);
    let subscriber = tracing_subscriber::registry()
        .with(LoggerLayer(logger))
        .with(filter);
    tracing::subscriber::set_global_default(subscriber).is_ok()
}
