using Microsoft.Extensions.Options;

namespace SagaDemo.Sagas.Tests.Support;

/// <summary>Named options that are the same value under every name and never change.</summary>
public sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
