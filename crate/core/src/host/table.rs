//! A handle table: numbered slots reused lowest-first, like POSIX fds. p1 keeps its descriptors
//! in one; p2 will keep descriptors, streams and pollables in its own.
use crate::errno::{Errno, Result};

pub struct Table<T> {
    slots: Vec<Option<T>>,
    open: u64,
    /// No slot below this one is free: `insert` searches from here, so opening the n-th of many
    /// handles does not scan the n before it.
    lowest_free: usize,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            slots: Vec::new(),
            open: 0,
            lowest_free: 0,
        }
    }
}

impl<T> Table<T> {
    /// The handle `index` (`EBADF` when it is not open).
    #[inline]
    pub fn get(&self, index: u32) -> Result<&T> {
        self.slots
            .get(index as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    #[inline]
    pub fn get_mut(&mut self, index: u32) -> Result<&mut T> {
        self.slots
            .get_mut(index as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    /// Number of open handles.
    pub fn open_count(&self) -> u64 {
        self.open
    }

    /// Places `item` in the lowest free slot and returns its index (`limit`: most open at once,
    /// `EMFILE` beyond).
    pub fn insert(&mut self, item: T, limit: u64) -> Result<u32> {
        if self.open >= limit {
            return Err(Errno::MFile);
        }
        let slot = match self
            .slots
            .iter()
            .skip(self.lowest_free)
            .position(Option::is_none)
        {
            Some(i) => self.lowest_free + i,
            None => {
                if self.slots.len() >= u32::MAX as usize {
                    return Err(Errno::NFile);
                }
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        self.slots[slot] = Some(item);
        self.lowest_free = slot + 1;
        self.open += 1;
        u32::try_from(slot).map_err(|_| Errno::NFile)
    }

    /// Removes and returns the handle `index`.
    pub fn remove(&mut self, index: u32) -> Result<T> {
        let item = self
            .slots
            .get_mut(index as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)?;
        self.open -= 1;
        self.lowest_free = self.lowest_free.min(index as usize);
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(item)
    }

    /// Moves `from` onto `to` (which must be open), returning what `to` held (`None` when
    /// `from == to`).
    pub fn renumber(&mut self, from: u32, to: u32) -> Result<Option<T>> {
        self.get(from)?;
        self.get(to)?;
        if from == to {
            return Ok(None);
        }
        let moving = self.remove(from)?;
        let slot = self.slots.get_mut(to as usize).ok_or(Errno::Badf)?;
        Ok(slot.replace(moving))
    }

    /// Every open (index, handle), lowest first.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, d)| Some((u32::try_from(i).ok()?, d.as_ref()?)))
    }

    /// Every open (index, handle), lowest first, mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (u32, &mut T)> {
        self.slots
            .iter_mut()
            .enumerate()
            .filter_map(|(i, d)| Some((u32::try_from(i).ok()?, d.as_mut()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_free_index_is_reused_and_the_limit_holds() {
        let mut t = Table::default();
        for i in 0..4 {
            t.insert(i, 4).unwrap();
        }
        assert_eq!(t.insert(9, 4), Err(Errno::MFile));
        t.remove(1).unwrap();
        assert_eq!(t.insert(5, 4), Ok(1));
        assert_eq!(t.remove(9).err(), Some(Errno::Badf));
        assert_eq!(t.open_count(), 4);
    }

    #[test]
    fn renumber_replaces_the_target_and_frees_the_source() {
        let mut t = Table::default();
        for i in 0..3 {
            t.insert(i, 10).unwrap();
        }
        assert_eq!(t.renumber(2, 0), Ok(Some(0)));
        assert_eq!(t.get(0), Ok(&2));
        assert_eq!(t.get(2).err(), Some(Errno::Badf));
        assert_eq!(t.open_count(), 2);
        assert_eq!(
            t.renumber(0, 2).err(),
            Some(Errno::Badf),
            "target must be open"
        );
        assert_eq!(t.iter().map(|(i, _)| i).collect::<Vec<_>>(), [0, 1]);
    }
}
