use std::sync::Arc;

use modkit::ClientHub;
use modkit::directory::{DirectoryClient, RemoteCallError, RemoteService};

use super::proto::AddRequest;
use super::proto::calculator_client::CalculatorClient;
use super::{CalculatorApi, CalculatorError, SERVICE_NAME};

/// [`CalculatorApi`] over gRPC, calling a live calculator found through the host's
/// directory; [`RemoteService`] does the finding, the deadline and the retry.
///
/// The calculator's remote client: when `modules.calculator.runtime.type` is `oop`, the
/// host puts one into its ClientHub in place of the in-process calculator, with the
/// module's `runtime.call_timeout` as each call's deadline.
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
#[derive(Debug, Clone)]
pub struct CalculatorGrpcClient {
    remote: RemoteService,
}

impl CalculatorGrpcClient {
    /// A client calling the calculator through `remote`.
    pub fn new(remote: RemoteService) -> Self {
        Self { remote }
    }

    /// A client that finds the calculator through `directory`.
    pub fn through_directory(directory: DirectoryClient) -> Self {
        Self::new(RemoteService::new(SERVICE_NAME, directory))
    }

    /// A client that finds the calculator through the directory of the host whose
    /// ClientHub is `client_hub`. It may be made before the gRPC hub has started.
    pub fn through_host(client_hub: &Arc<ClientHub>) -> Self {
        Self::new(RemoteService::through_host(SERVICE_NAME, client_hub))
    }
}

#[modkit::async_trait]
impl CalculatorApi for CalculatorGrpcClient {
    async fn add(&self, a: i64, b: i64) -> Result<i64, CalculatorError> {
        let answer = self
            .remote
            .call(|channel| async move {
                CalculatorClient::new(channel)
                    .add(AddRequest { a, b })
                    .await
            })
            .await;
        match answer {
            Ok(response) => Ok(response.into_inner().result),
            Err(error) if error.code() == tonic::Code::OutOfRange => {
                Err(CalculatorError::Overflow { a, b })
            }
            Err(RemoteCallError::DeadlineExceeded { deadline, .. }) => {
                Err(CalculatorError::DeadlineExceeded { deadline })
            }
            Err(error) => Err(CalculatorError::Unavailable {
                reason: error.to_string(),
            }),
        }
    }
}
