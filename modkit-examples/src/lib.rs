//! Example modules.
