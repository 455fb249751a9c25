using System.Text;

namespace SagaDemo.Services.Users;

/// <summary>
/// Append-only UTF-8 text in shared 16 KiB chunks: a stored text costs its bytes and nothing else, where a string costs
/// its UTF-16 characters plus a 22-byte object. Not thread-safe; the owner locks.
/// </summary>
sealed class Utf8Arena
{
    // Below the large object heap's 85,000 bytes, so chunks are ordinary gen0-to-gen2 objects; a text longer than a
    // chunk gets a chunk of its own.
    const int ChunkBits = 14;
    const int ChunkSize = 1 << ChunkBits;

    readonly List<byte[]> _chunks = [];
    int _used = ChunkSize;

    /// <summary>
    /// Stores the texts one after the other; returns where the first starts and their sizes in bytes (-1: no second),
    /// to read them back with <see cref="Read"/>.
    /// </summary>
    public (int Position, int FirstBytes, int SecondBytes) Append(string first, string? second)
    {
        var firstBytes = Encoding.UTF8.GetByteCount(first);
        var secondBytes = second is null ? -1 : Encoding.UTF8.GetByteCount(second);
        var length = firstBytes + Math.Max(secondBytes, 0);
        if (length >= ChunkSize - _used) // (also when full, so a start is always inside its chunk)
        {
            _chunks.Add(new byte[Math.Max(length, ChunkSize)]);
            _used = 0;
        }
        var chunk = _chunks[^1];
        var at = _used;
        _used += Encoding.UTF8.GetBytes(first, chunk.AsSpan(_used));
        if (second is not null) _used += Encoding.UTF8.GetBytes(second, chunk.AsSpan(_used));
        if (length > ChunkSize) _used = ChunkSize; // a chunk of its own is full
        return (((_chunks.Count - 1) << ChunkBits) | at, firstBytes, secondBytes);
    }

    /// <summary>The text of <paramref name="bytes"/> bytes at <paramref name="skip"/> bytes after <paramref name="position"/>.</summary>
    public string Read(int position, int skip, int bytes) =>
        Encoding.UTF8.GetString(_chunks[position >>> ChunkBits], (position & (ChunkSize - 1)) + skip, bytes);
}
