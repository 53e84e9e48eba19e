/// What the calculator offers: the SDK trait callers get from the ClientHub, whether the
/// calculator runs in the host ([`LocalCalculator`](super::LocalCalculator)) or in a child
/// process ([`CalculatorGrpcClient`](super::CalculatorGrpcClient)).
///
/// ```
/// use modkit_examples::calculator::{CalculatorApi, CalculatorError, LocalCalculator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let calculator = LocalCalculator;
/// assert_eq!(calculator.add(2, 3).await, Ok(5));
/// assert_eq!(
///     calculator.add(i64::MAX, 1).await,
///     Err(CalculatorError::Overflow { a: i64::MAX, b: 1 })
/// );
/// # }
/// ```
#[modkit::async_trait]
pub trait CalculatorApi: Send + Sync {
    /// `a + b`.
    async fn add(&self, a: i64, b: i64) -> Result<i64, CalculatorError>;
}

/// Why a calculation has no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalculatorError {
    /// The result does not fit in 64 bits.
    #[error("`{a} + {b}` does not fit in a 64-bit integer")]
    Overflow {
        /// The first operand.
        a: i64,
        /// The second operand.
        b: i64,
    },
    /// The calculator could not be reached (out-of-process placement only).
    #[error("the calculator is unavailable: {reason}")]
    Unavailable {
        /// What went wrong.
        reason: String,
    },
    /// The calculator did not answer within the call deadline
    /// (`modules.calculator.runtime.call_timeout`; out-of-process placement only).
    #[error("the calculator did not answer within {deadline:?}")]
    DeadlineExceeded {
        /// The deadline.
        deadline: std::time::Duration,
    },
}

/// The calculator, in the caller's process.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalCalculator;

#[modkit::async_trait]
impl CalculatorApi for LocalCalculator {
    async fn add(&self, a: i64, b: i64) -> Result<i64, CalculatorError> {
        a.checked_add(b).ok_or(CalculatorError::Overflow { a, b })
    }
}
