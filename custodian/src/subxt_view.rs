//! The [`ChainView`](crate::chain_view::ChainView) over a node (written against healthchain-client's `Chain`).
