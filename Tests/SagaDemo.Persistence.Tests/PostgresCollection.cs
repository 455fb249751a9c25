using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests;

/// <summary>One throwaway PostgreSQL server for the whole assembly.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = PostgresTestBase.Collection;
}
