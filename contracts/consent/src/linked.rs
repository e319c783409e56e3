//! Lists an item leaves from anywhere: a patient's unreviewed emergencies and pending access requests. Each is kept
//! newest first from an [`interfaces::ListHead`] and linked both ways through its items ([`Links`]), so that adding
//! writes the new item, the previous newest and the head, and removing writes the item, its (at most two) neighbours
//! and the head: O(1) whatever the list holds. Read page by page with [`interfaces::linked_page`] through
//! [`Links::older`].
//!
//! Free of storage: the contract loads the head and the item, a function here says what to store (the item, the
//! head and the neighbours it returns), and the contract writes them.

use crate::{
    errors::{Error, Result},
    types::{AccessRequest, Emergency, Links},
};
use ink::prelude::vec::Vec;
use interfaces::ListHead;

/// An item of such a list: its id and its links.
pub trait Linked: Sized {
    fn id(&self) -> u64;
    fn links_mut(&mut self) -> &mut Links;
}

impl Linked for Emergency {
    fn id(&self) -> u64 {
        self.id
    }

    fn links_mut(&mut self) -> &mut Links {
        &mut self.unreviewed
    }
}

impl Linked for AccessRequest {
    fn id(&self) -> u64 {
        self.id
    }

    fn links_mut(&mut self) -> &mut Links {
        &mut self.pending
    }
}

/// Adds `item` (in no list) as the newest of the list `head` starts. `head` and `item` become what to store, and the
/// previous newest (read with `load`, its `newer` now `item`) is returned to store too. `Overflow` (nothing changed)
/// when the length would overflow.
pub fn push<T: Linked>(head: &mut ListHead, item: &mut T, load: impl FnOnce(u64) -> Option<T>) -> Result<Option<T>> {
    let id = item.id();
    let pushed = head.pushed(id).ok_or(Error::Overflow)?;
    let previous = head.newest.and_then(load).map(|mut previous| {
        previous.links_mut().newer = Some(id);
        previous
    });
    *item.links_mut() = Links { older: head.newest, newer: None };
    *head = pushed;
    Ok(previous)
}

/// Removes `item` (in the list `head` starts) from it. `head` and `item` (its links cleared) become what to store, and
/// its neighbours (read with `load`, linked to each other) are returned to store too.
pub fn remove<T: Linked>(head: &mut ListHead, item: &mut T, load: impl Fn(u64) -> Option<T>) -> Vec<T> {
    let Links { older, newer } = *item.links_mut();
    let mut neighbours = Vec::new();
    match newer.and_then(&load) {
        Some(mut newer) => {
            newer.links_mut().older = older;
            neighbours.push(newer);
        }
        None => head.newest = older,
    }
    if let Some(mut older_item) = older.and_then(&load) {
        older_item.links_mut().newer = newer;
        neighbours.push(older_item);
    }
    if head.len <= 1 {
        *head = ListHead::default();
    } else {
        head.len = head.len.saturating_sub(1);
    }
    *item.links_mut() = Links::default();
    neighbours
}

#[cfg(test)]
mod tests {
    use super::*;
    use interfaces::{linked_page, Page};
    use std::collections::BTreeMap;

    /// An item of a test list: an id and its links.
    #[derive(Debug, Clone, PartialEq)]
    struct Item(u64, Links);

    impl Linked for Item {
        fn id(&self) -> u64 {
            self.0
        }

        fn links_mut(&mut self) -> &mut Links {
            &mut self.1
        }
    }

    /// A list and its items as a contract would store them.
    #[derive(Default)]
    struct Stored {
        head: ListHead,
        items: BTreeMap<u64, Item>,
    }

    impl Stored {
        fn push(&mut self, id: u64) {
            let mut item = Item(id, Links::default());
            let previous = push(&mut self.head, &mut item, |id| self.items.get(&id).cloned()).unwrap();
            self.items.extend(previous.map(|previous| (previous.0, previous)));
            self.items.insert(id, item);
        }

        fn remove(&mut self, id: u64) {
            let mut item = self.items.get(&id).cloned().unwrap();
            let neighbours = remove(&mut self.head, &mut item, |id| self.items.get(&id).cloned());
            assert!(neighbours.len() <= 2, "O(1): at most two neighbours are written");
            self.items.extend(neighbours.into_iter().map(|neighbour| (neighbour.0, neighbour)));
            assert_eq!(item.1, Links::default(), "a removed item keeps no links");
            self.items.insert(id, item);
        }

        /// The ids, newest first, walked with `linked_page` through `older`, and back through `newer`.
        fn ids(&self) -> Vec<u64> {
            let page: Page<u64> = linked_page(self.head, None, 50, |id| {
                let item = self.items.get(&id)?;
                Some((item.0, item.1.older))
            });
            assert_eq!(page.len, u64::try_from(page.items.len()).unwrap());
            let mut back = Vec::new();
            let mut cursor = page.items.last().copied();
            while let Some(id) = cursor {
                back.push(id);
                cursor = self.items[&id].1.newer;
            }
            back.reverse();
            assert_eq!(back, page.items, "the newer links mirror the older ones");
            page.items
        }
    }

    #[test]
    fn items_join_newest_first_and_leave_from_anywhere() {
        let mut list = Stored::default();
        for id in 1..=5 {
            list.push(id);
        }
        assert_eq!(list.ids(), [5, 4, 3, 2, 1]);
        list.remove(3); // the middle
        assert_eq!(list.ids(), [5, 4, 2, 1]);
        list.remove(5); // the newest
        assert_eq!(list.ids(), [4, 2, 1]);
        assert_eq!(list.head, ListHead { len: 3, newest: Some(4) });
        list.remove(1); // the oldest
        assert_eq!(list.ids(), [4, 2]);
        list.push(6);
        assert_eq!(list.ids(), [6, 4, 2]);
        for id in [4, 6, 2] {
            list.remove(id);
        }
        assert_eq!(list.ids(), Vec::<u64>::new());
        assert_eq!(list.head, ListHead::default());
        list.push(7);
        assert_eq!(list.ids(), [7]);
    }

    #[test]
    fn a_push_that_would_overflow_changes_nothing() {
        let mut head = ListHead { len: u64::MAX, newest: Some(1) };
        let mut item = Item(2, Links::default());
        let push = push(&mut head, &mut item, |_| panic!("nothing is read"));
        assert_eq!(push, Err(Error::Overflow));
        assert_eq!((head, item), (ListHead { len: u64::MAX, newest: Some(1) }, Item(2, Links::default())));
    }
}
