using SagaDemo.Testing;

namespace SagaDemo.System.Tests.Postgres;

/// <summary>The throwaway PostgreSQL server the system tests on PostgreSQL share.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = PostgresTestBase.Collection;
}
