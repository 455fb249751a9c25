using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SagaDemo.Persistence.GroupCommit;

/// <summary>One <see cref="GroupCommitter"/> per schema of the process's data source, shared by every repository of that schema.</summary>
public sealed class GroupCommitters(NpgsqlDataSource dataSource, ILoggerFactory? loggers = null) : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, Lazy<GroupCommitter>> _bySchema = new();

    public GroupCommitter For(string schema) =>
        _bySchema.GetOrAdd(schema, s => new Lazy<GroupCommitter>(() =>
            new GroupCommitter(dataSource, s, logger: loggers?.CreateLogger<GroupCommitter>()))).Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var committer in _bySchema.Values.Where(c => c.IsValueCreated))
            await committer.Value.DisposeAsync();
    }
}
