namespace SagaDemo.Persistence.Transactions;

/// <summary>
/// A unit of work of type <typeparamref name="T"/> made current for the flow of control inside <see cref="Enter"/>:
/// it flows down the async calls made there and nowhere else, so singleton stores called with just a cancellation
/// token can find it.
/// </summary>
public static class Ambient<T> where T : class
{
    static readonly AsyncLocal<T?> Current = new();

    public static T? Value => Current.Value;

    /// <summary>Makes <paramref name="value"/> current until the returned scope is disposed.</summary>
    public static IDisposable Enter(T value)
    {
        var previous = Current.Value;
        Current.Value = value;
        return new Scope(previous);
    }

    sealed class Scope(T? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
