namespace SagaDemo.Services.Hosting.Retention;

/// <summary>The prune of an in-memory store that keeps its entries in one dictionary.</summary>
static class ExpiredEntries
{
    /// <summary>
    /// Removes each entry whose value <paramref name="expired"/> picks, only as it was seen (an entry replaced meanwhile
    /// stays); returns how many. The caller holds whatever lock the dictionary needs.
    /// </summary>
    public static int RemoveExpired<TKey, TValue>(this IDictionary<TKey, TValue> entries, Func<TValue, bool> expired)
    {
        var removed = 0;
        foreach (var entry in entries)
            if (expired(entry.Value) && entries.Remove(entry))
                removed++;
        return removed;
    }
}
