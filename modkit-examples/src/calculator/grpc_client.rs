use std::sync::{Mutex, Weak};

use modkit::ClientHub;
use modkit::directory::{DirectoryAccess, DirectoryClient};
use tonic::transport::{Channel, Endpoint};

use super::proto::AddRequest;
use super::proto::calculator_client::CalculatorClient;
use super::{CalculatorApi, CalculatorError, SERVICE_NAME};

/// [`CalculatorApi`] over gRPC: finds a live calculator through the host's directory on
/// its first call, keeps the connection, and looks again after a failed call.
///
/// The calculator's remote client: when `modules.calculator.runtime.type` is `oop`, the
/// host puts one into its ClientHub in place of the in-process calculator.
///
/// ```
/// use modkit::directory::DirectoryClient;
/// use modkit_examples::calculator::{CalculatorApi, CalculatorError, CalculatorGrpcClient};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), modkit::directory::DirectoryError> {
/// // Nothing listens on port 9 (discard): the call reports the calculator unavailable.
/// let directory = DirectoryClient::connect_lazy("http://127.0.0.1:9")?;
/// let calculator = CalculatorGrpcClient::through_directory(directory);
/// assert!(matches!(
///     calculator.add(2, 3).await,
///     Err(CalculatorError::Unavailable { .. })
/// ));
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct CalculatorGrpcClient {
    directory: Source,
    connected: Mutex<Option<CalculatorClient<Channel>>>,
}

#[derive(Debug)]
enum Source {
    /// A directory client given up front.
    Directory(DirectoryClient),
    /// The host's ClientHub, where the gRPC hub publishes its [`DirectoryAccess`] once it
    /// has started (weak: the client itself lives in that ClientHub).
    Host(Weak<ClientHub>),
}

impl CalculatorGrpcClient {
    /// A client that resolves the calculator through `directory`.
    pub fn through_directory(directory: DirectoryClient) -> Self {
        Self::new(Source::Directory(directory))
    }

    /// A client that resolves the calculator through the directory of the host whose
    /// ClientHub is `client_hub`. It may be made before the gRPC hub has started.
    pub fn through_host(client_hub: &std::sync::Arc<ClientHub>) -> Self {
        Self::new(Source::Host(std::sync::Arc::downgrade(client_hub)))
    }

    fn new(directory: Source) -> Self {
        Self {
            directory,
            connected: Mutex::new(None),
        }
    }

    async fn client(&self) -> Result<CalculatorClient<Channel>, CalculatorError> {
        if let Some(client) = self.lock().as_ref() {
            return Ok(client.clone());
        }
        let directory = match &self.directory {
            Source::Directory(directory) => directory.clone(),
            Source::Host(client_hub) => {
                let access = client_hub
                    .upgrade()
                    .and_then(|hub| hub.try_get::<DirectoryAccess>())
                    .ok_or_else(|| unavailable("the host's gRPC hub has not started"))?;
                DirectoryClient::connect_lazy(&access.endpoint).map_err(unavailable)?
            }
        };
        let endpoints = directory.resolve(SERVICE_NAME).await.map_err(unavailable)?;
        let first = endpoints
            .first()
            .ok_or_else(|| unavailable(format!("no live instance serves `{SERVICE_NAME}`")))?;
        let channel = Endpoint::from_shared(first.endpoint.clone())
            .map_err(|error| unavailable(format!("endpoint `{}`: {error}", first.endpoint)))?
            .connect_lazy();
        let client = CalculatorClient::new(channel);
        *self.lock() = Some(client.clone());
        Ok(client)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<CalculatorClient<Channel>>> {
        self.connected
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[modkit::async_trait]
impl CalculatorApi for CalculatorGrpcClient {
    async fn add(&self, a: i64, b: i64) -> Result<i64, CalculatorError> {
        let mut client = self.client().await?;
        match client.add(AddRequest { a, b }).await {
            Ok(response) => Ok(response.into_inner().result),
            Err(status) if status.code() == tonic::Code::OutOfRange => {
                Err(CalculatorError::Overflow { a, b })
            }
            Err(status) => {
                // The instance may be gone: look it up again on the next call.
                *self.lock() = None;
                Err(unavailable(format!(
                    "{:?}: {}",
                    status.code(),
                    status.message()
                )))
            }
        }
    }
}

fn unavailable(reason: impl std::fmt::Display) -> CalculatorError {
    CalculatorError::Unavailable {
        reason: reason.to_string(),
    }
}
