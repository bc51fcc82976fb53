/// A collection's new order after some of its items move: the one rule behind loopd's
/// `collection.move` and the shared catalogue's, whatever names an item there.
public enum CollectionOrder {
    /// Why a move has no place to go.
    public enum Refusal<Item: Sendable>: Error {
        /// The item to move before is one of those moving.
        case beforeItself(Item)
        /// The item to move before is not in the collection.
        case beforeAbsent(Item)
    }

    /// `order` with the `moving` items that are in it (each once, in the given order) taken out
    /// and put back before `before`, at the start with `toStart`, or else at the end.
    public static func rearranged<Item: Hashable & Sendable>(
        _ order: [Item], moving items: [Item], before: Item?, toStart: Bool
    ) throws(Refusal<Item>) -> [Item] {
        let present = Set(order)
        var moving = Set<Item>()
        let moved = items.filter { present.contains($0) && moving.insert($0).inserted }
        var arranged = order.filter { !moving.contains($0) }
        var insertion = toStart ? arranged.startIndex : arranged.endIndex
        if let before {
            if moving.contains(before) { throw .beforeItself(before) }
            guard let index = arranged.firstIndex(of: before) else { throw .beforeAbsent(before) }
            insertion = index
        }
        arranged.insert(contentsOf: moved, at: insertion)
        return arranged
    }

    /// How many places hold another item than before.
    public static func changedPlaces<Item: Equatable>(_ old: [Item], _ new: [Item]) -> Int {
        zip(old, new).count { $0 != $1 }
    }
}
