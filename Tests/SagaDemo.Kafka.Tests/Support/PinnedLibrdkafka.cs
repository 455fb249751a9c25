using System.Runtime.CompilerServices;
using SagaDemo.Kafka.Native;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>
/// Tests build Confluent clients of their own, in any order: the package's librdkafka is pinned before the first
/// of them, so none can load a system librdkafka beside it.
/// </summary>
static class PinnedLibrdkafka
{
#pragma warning disable CA2255 // A test assembly is the application here: it must pin the native library before any test runs.
    [ModuleInitializer]
    internal static void Pin() => NativeLibraryLocator.EnsureLoaded();
#pragma warning restore CA2255
}
