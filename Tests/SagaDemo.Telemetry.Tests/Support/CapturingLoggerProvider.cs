using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>Records each log message with the scope values in force (as the JSON console would print them).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Entry(string Message, IReadOnlyDictionary<string, object?> Scope);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (k, v) in pairs) values[k] = v;
                else if (value is IEnumerable<KeyValuePair<string, object>> objects)
                    foreach (var (k, v) in objects) values[k] = v;
            }, scope);
            owner.Entries.Enqueue(new Entry(formatter(state, exception), scope));
        }
    }
}
