using System.Text;

namespace SagaDemo.Services.Users;

/// <summary>
/// UTF-8 text in shared 16 KiB chunks: a stored text costs its bytes and nothing else, where a string costs its UTF-16
/// characters plus a 22-byte object. Texts are appended and released; a chunk whose texts are all released is reused
/// for new ones, so a store that forgets as fast as it adds allocates nothing. Not thread-safe; the owner locks.
/// </summary>
sealed class Utf8Arena
{
    // Below the large object heap's 85,000 bytes, so chunks are ordinary gen0-to-gen2 objects; a text longer than a
    // chunk gets a chunk of its own, which is dropped, not reused, once released.
    const int ChunkBits = 14;
    const int ChunkSize = 1 << ChunkBits;

    readonly List<byte[]?> _chunks = [];
    readonly List<int> _texts = []; // per chunk: appended and not yet released
    readonly Stack<int> _free = [];
    int _current = -1;
    int _used = ChunkSize;

    /// <summary>
    /// Stores the texts one after the other; returns where the first starts and their sizes in bytes (-1: no second),
    /// to read them back with <see cref="Read"/> and give them back with <see cref="Release"/>.
    /// </summary>
    public (int Position, int FirstBytes, int SecondBytes) Append(string first, string? second)
    {
        var firstBytes = Encoding.UTF8.GetByteCount(first);
        var secondBytes = second is null ? -1 : Encoding.UTF8.GetByteCount(second);
        var length = firstBytes + Math.Max(secondBytes, 0);
        if (length >= ChunkSize - _used) // (also when full, so a start is always inside its chunk)
            StartChunk(length);
        var chunk = _chunks[_current]!;
        var at = _used;
        _used += Encoding.UTF8.GetBytes(first, chunk.AsSpan(_used));
        if (second is not null) _used += Encoding.UTF8.GetBytes(second, chunk.AsSpan(_used));
        if (length > ChunkSize) _used = ChunkSize; // a chunk of its own is full
        _texts[_current]++;
        return ((_current << ChunkBits) | at, firstBytes, secondBytes);
    }

    /// <summary>The text of <paramref name="bytes"/> bytes at <paramref name="skip"/> bytes after <paramref name="position"/>.</summary>
    public string Read(int position, int skip, int bytes) =>
        Encoding.UTF8.GetString(_chunks[position >>> ChunkBits]!, (position & (ChunkSize - 1)) + skip, bytes);

    /// <summary>Gives back what one <see cref="Append"/> stored at <paramref name="position"/>; it must not be read after.</summary>
    public void Release(int position)
    {
        var index = position >>> ChunkBits;
        if (--_texts[index] == 0 && index != _current)
            Recycle(index);
    }

    void StartChunk(int length)
    {
        var previous = _current;
        if (_free.TryPop(out var index))
            _chunks[index] = length > ChunkSize ? new byte[length] : _chunks[index] ?? new byte[ChunkSize];
        else
        {
            index = _chunks.Count;
            _chunks.Add(new byte[Math.Max(length, ChunkSize)]);
            _texts.Add(0);
        }
        _current = index;
        _used = 0;
        // Its texts may all be gone already: it was only kept because it was still being filled.
        if (previous >= 0 && _texts[previous] == 0)
            Recycle(previous);
    }

    void Recycle(int index)
    {
        if (_chunks[index]!.Length != ChunkSize)
            _chunks[index] = null;
        _free.Push(index);
    }
}
