using SagaDemo.Testing;

namespace SagaDemo.Load.Tests;

/// <summary>
/// The real SagaDemo host (every role, in-memory transport) on Kestrel at a free loopback port, so
/// the load generator goes through real sockets and its own tuned HttpClient. No approval delay.
/// </summary>
public sealed class KestrelHostFactory : SagaDemoHostFactory
{
    public KestrelHostFactory() : base([new("Transport", "InMemory"), .. Quick]) => OnLoopback();

    public Uri StartAndGetAddress() => StartOnLoopback();
}
