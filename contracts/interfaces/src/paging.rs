//! Paged reads: every list a contract keeps is read a page of at most [`MAX_PAGE`] items at a time.
//!
//! Two kinds of list (CONTRIBUTING.md says when to use which):
//! - things with ids of their own (consents, records, claims) are linked through the items, newest first, from a
//!   [`ListHead`]: read with [`linked_page`];
//! - logs without ids of their own (disclosures, a unit's trail) are `(key, index)` entries plus a count, read
//!   oldest first with [`page_range`].

/// A page of a list read with `(from, limit)`: the items, and the `from` of the next page if items remain (an index
/// for lists read oldest first, an id for linked lists read newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub struct Page<T> {
    pub items: ink::prelude::vec::Vec<T>,
    pub next: Option<u64>,
    /// How many items the whole list holds.
    pub len: u64,
}

/// The head of a list kept newest first and linked through its items (each item stores the id of the item
/// before it in the list), so appending an item writes the item and this head, nothing else.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ListHead {
    /// How many items the list holds.
    pub len: u64,
    /// The newest item's id.
    pub newest: Option<u64>,
}

impl ListHead {
    /// The head once `id` is appended (the new item must link to `self.newest`); None if the length would overflow.
    pub fn pushed(self, id: u64) -> Option<ListHead> {
        Some(ListHead { len: self.len.checked_add(1)?, newest: Some(id) })
    }
}

/// A page of the linked list `head` starts, newest first, from `from` (None: the list's newest item). `step` reads the item
/// with an id and returns it with the id before it, or None when that id is not in this list (a `from` of another
/// list reads an empty page). `next` is the `from` of the following page.
pub fn linked_page<T>(
    head: ListHead,
    from: Option<u64>,
    limit: u32,
    mut step: impl FnMut(u64) -> Option<(T, Option<u64>)>,
) -> Page<T> {
    let mut items = ink::prelude::vec::Vec::new();
    let len = head.len;
    let mut cursor = from.or(head.newest);
    let mut left = limit.min(MAX_PAGE);
    while let (Some(id), true) = (cursor, left > 0) {
        let Some((item, previous)) = step(id) else {
            return Page { items, next: None, len };
        };
        items.push(item);
        cursor = previous;
        left = left.saturating_sub(1);
    }
    Page { items, next: cursor, len }
}

/// The most items one page read returns, whatever `limit` asks for.
pub const MAX_PAGE: u32 = 50;

/// The index range of a page over a list of `len` items: `from..end`, and the `next` index if items remain.
pub fn page_range(len: u64, from: u64, limit: u32) -> (u64, u64, Option<u64>) {
    let limit = u64::from(limit.min(MAX_PAGE));
    let start = from.min(len);
    let end = start.saturating_add(limit).min(len);
    let next = if end < len { Some(end) } else { None };
    (start, end, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_bounded_and_say_where_to_go_on() {
        assert_eq!(page_range(0, 0, 10), (0, 0, None));
        assert_eq!(page_range(25, 0, 10), (0, 10, Some(10)));
        assert_eq!(page_range(25, 20, 10), (20, 25, None));
        assert_eq!(page_range(25, 99, 10), (25, 25, None));
        assert_eq!(page_range(500, 0, 1000), (0, u64::from(MAX_PAGE), Some(u64::from(MAX_PAGE))));
        assert_eq!(page_range(u64::MAX, u64::MAX - 1, 10), (u64::MAX - 1, u64::MAX, None));
    }

    #[test]
    fn linked_pages_walk_newest_first_and_stop_at_foreign_ids() {
        // Items 1..=5 linked 5 -> 4 -> ... -> 1; 9 belongs to another list.
        let five = ListHead { len: 5, newest: Some(5) };
        let step = |id: u64| (1..=5).contains(&id).then(|| (id, id.checked_sub(1).filter(|p| *p > 0)));
        assert_eq!(linked_page(five, None, 2, step), Page { items: vec![5, 4], next: Some(3), len: 5 });
        assert_eq!(linked_page(five, Some(3), 2, step), Page { items: vec![3, 2], next: Some(1), len: 5 });
        assert_eq!(linked_page(five, Some(1), 2, step), Page { items: vec![1], next: None, len: 5 });
        assert_eq!(linked_page(five, Some(9), 2, step), Page { items: vec![], next: None, len: 5 });
        assert_eq!(linked_page(ListHead::default(), None, 2, step), Page { items: vec![], next: None, len: 0 });
        assert_eq!(linked_page(five, None, 0, step), Page { items: vec![], next: Some(5), len: 5 });
        let all = linked_page(five, None, u32::MAX, step);
        assert_eq!(all.items.len(), 5);
        let head = ListHead::default().pushed(1).and_then(|h| h.pushed(2));
        assert_eq!(head, Some(ListHead { len: 2, newest: Some(2) }));
        assert_eq!(ListHead { len: u64::MAX, newest: Some(1) }.pushed(2), None);
    }
}
