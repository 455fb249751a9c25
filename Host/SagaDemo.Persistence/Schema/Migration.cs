namespace SagaDemo.Persistence.Schema;

/// <summary>One numbered, forward-only schema change. Versions are applied in ascending order, each once.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>A schema (one per service) and the migrations that build it.</summary>
public sealed record SchemaDefinition(string Name, IReadOnlyList<Migration> Migrations)
{
    /// <summary>The same schema with more migrations, e.g. a service's own tables after the shared building blocks.</summary>
    public SchemaDefinition With(params Migration[] more) => this with { Migrations = [.. Migrations, .. more] };
}
