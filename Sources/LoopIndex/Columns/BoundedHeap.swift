/// The first `capacity` elements of a stream in an order, kept in a heap whose top is the last
/// of them, so each further element costs one comparison unless it belongs.
struct BoundedHeap<Element> {
    private var elements: [Element] = []
    let capacity: Int
    let precedes: (Element, Element) -> Bool

    init(capacity: Int, precedes: @escaping (Element, Element) -> Bool) {
        self.capacity = capacity
        self.precedes = precedes
        elements.reserveCapacity(min(capacity, 1 << 16))
    }

    mutating func offer(_ element: Element) {
        if elements.count < capacity {
            elements.append(element)
            var child = elements.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(elements[parent], elements[child]) else { break }
                elements.swapAt(parent, child)
                child = parent
            }
        } else if let top = elements.first, precedes(element, top) {
            elements[0] = element
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var last = parent
                if left < elements.count, precedes(elements[last], elements[left]) { last = left }
                if right < elements.count, precedes(elements[last], elements[right]) { last = right }
                if last == parent { break }
                elements.swapAt(parent, last)
                parent = last
            }
        }
    }

    /// The kept elements, first first.
    func sorted() -> [Element] { elements.sorted(by: precedes) }
}
