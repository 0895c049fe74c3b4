/// The block function of a Merkle–Damgård hash (SHA-256, SHA-512): a chaining state that
/// absorbs whole blocks.
internal protocol BlockCompressor: Sendable {
    /// Storage for one block, as a tuple, so that buffering a partial block never allocates.
    associatedtype Block: Sendable

    /// The block size, in bytes.
    static var blockByteCount: Int { get }

    /// The size of the big-endian message-length field that ends the padding, in bytes.
    static var lengthFieldByteCount: Int { get }

    /// A zero-filled block.
    static var emptyBlock: Block { get }

    /// The initial chaining state.
    init()

    /// Absorbs `blocks`, whose count is a multiple of `blockByteCount`.
    mutating func compress(_ blocks: UnsafeRawBufferPointer)

    /// Writes the chaining state, big-endian, into `output`, which holds at least a digest.
    func write(to output: UnsafeMutableRawBufferPointer)
}

/// Buffering, padding and length encoding shared by SHA-256 and SHA-512.
internal struct MerkleDamgard<Compressor: BlockCompressor>: Sendable {
    /// The chaining state.
    private var compressor = Compressor()
    /// Bytes of a partial block not yet compressed; only the first `pendingCount` matter.
    private var pending = Compressor.emptyBlock
    /// How many bytes of `pending` are in use, always less than a block.
    private var pendingCount = 0
    /// The total message length so far, in bytes.
    private var messageByteCount: UInt64 = 0

    internal init() {}

    /// Absorbs `input`: whole blocks straight from the caller's memory, the rest via `pending`.
    internal mutating func update(_ input: UnsafeRawBufferPointer) {
        guard !input.isEmpty else { return }
        let blockSize = Compressor.blockByteCount
        messageByteCount &+= UInt64(input.count)
        var offset = 0
        if pendingCount > 0 {
            let taken = min(blockSize - pendingCount, input.count)
            let start = pendingCount
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[start..<start + taken])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[0..<taken]))
            }
            pendingCount += taken
            offset = taken
            guard pendingCount == blockSize else { return }
            compressPending()
        }
        let remaining = input.count - offset
        let whole = remaining - remaining % blockSize
        if whole > 0 {
            compressor.compress(UnsafeRawBufferPointer(rebasing: input[offset..<offset + whole]))
            offset += whole
        }
        let tail = input.count - offset
        if tail > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                UnsafeMutableRawBufferPointer(rebasing: block[0..<tail])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: input[offset...]))
            }
            pendingCount = tail
        }
    }

    /// Pads the message (0x80, zeros, bit length) and writes the digest into `output`.
    internal func finalize(into output: UnsafeMutableRawBufferPointer) {
        var copy = self
        copy.pad()
        copy.compressor.write(to: output)
    }

    /// Appends the padding and compresses the final block or two.
    private mutating func pad() {
        let blockSize = Compressor.blockByteCount
        let lengthOffset = blockSize - Compressor.lengthFieldByteCount
        let used = pendingCount
        withUnsafeMutableBytes(of: &pending) { block in
            block[used] = 0x80
            UnsafeMutableRawBufferPointer(rebasing: block[(used + 1)...])
                .initializeMemory(as: UInt8.self, repeating: 0)
        }
        if used + 1 > lengthOffset {
            compressPending()
            pending = Compressor.emptyBlock
        }
        let bitCountHigh = messageByteCount >> 61
        let bitCountLow = messageByteCount << 3
        withUnsafeMutableBytes(of: &pending) { block in
            if Compressor.lengthFieldByteCount == 16 {
                block.storeBytes(of: bitCountHigh.bigEndian, toByteOffset: blockSize - 16, as: UInt64.self)
            }
            block.storeBytes(of: bitCountLow.bigEndian, toByteOffset: blockSize - 8, as: UInt64.self)
        }
        compressPending()
        pendingCount = 0
    }

    /// Compresses the full `pending` block.
    private mutating func compressPending() {
        withUnsafeBytes(of: &pending) { block in
            compressor.compress(block)
        }
        pendingCount = 0
    }
}
