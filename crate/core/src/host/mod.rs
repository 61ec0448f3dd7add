//! The host model: descriptor table, streams, poll.
