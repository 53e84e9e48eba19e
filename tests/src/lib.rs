//! Shared fixtures for modkit's tests.
