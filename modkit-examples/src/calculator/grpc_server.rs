use std::sync::Arc;

use tonic::{Request, Response, Status};

use super::proto::calculator_server::{Calculator, CalculatorServer};
use super::proto::{AddRequest, AddResponse};
use super::{CalculatorApi, CalculatorError};

/// The calculator's gRPC service, over any [`CalculatorApi`] (the in-process one, in the
/// host's gRPC hub or in a child process).
///
/// ```
/// use std::sync::Arc;
/// use modkit_examples::calculator::{CalculatorService, LocalCalculator};
///
/// let service = CalculatorService::new(Arc::new(LocalCalculator)).into_server();
/// # let _ = service;
/// ```
#[derive(Clone)]
pub struct CalculatorService {
    api: Arc<dyn CalculatorApi>,
}

impl CalculatorService {
    /// Serves `api`.
    pub fn new(api: Arc<dyn CalculatorApi>) -> Self {
        Self { api }
    }

    /// The tonic service, to add to a server's routes.
    pub fn into_server(self) -> CalculatorServer<Self> {
        CalculatorServer::new(self)
    }
}

impl std::fmt::Debug for CalculatorService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CalculatorService").finish_non_exhaustive()
    }
}

#[tonic::async_trait]
impl Calculator for CalculatorService {
    async fn add(&self, request: Request<AddRequest>) -> Result<Response<AddResponse>, Status> {
        let AddRequest { a, b } = request.into_inner();
        match self.api.add(a, b).await {
            Ok(result) => Ok(Response::new(AddResponse { result })),
            Err(error @ CalculatorError::Overflow { .. }) => {
                Err(Status::out_of_range(error.to_string()))
            }
            Err(error @ CalculatorError::Unavailable { .. }) => {
                Err(Status::unavailable(error.to_string()))
            }
            Err(error @ CalculatorError::DeadlineExceeded { .. }) => {
                Err(Status::deadline_exceeded(error.to_string()))
            }
        }
    }
}
