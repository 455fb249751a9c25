using Npgsql;

namespace SagaDemo.Persistence.Schema;

/// <summary>
/// Database logins limited to one service's schema. The migrating login owns the schemas (it has the DDL rights);
/// each service's own login gets USAGE on its schema and SELECT, INSERT, UPDATE, DELETE on its tables and the use of
/// its sequences, also on what later migrations create (ALTER DEFAULT PRIVILEGES), only SELECT on
/// <c>schema_migrations</c>, and nothing on any other schema: a compromised service reads and writes its own rows and
/// cannot create, alter or drop anything.
/// </summary>
public static class SchemaLogins
{
    /// <summary>
    /// Creates <paramref name="login"/> or sets its password, as <paramref name="admin"/> (a superuser or a login with
    /// CREATEROLE). The password reaches the server as a SCRAM-SHA-256 verifier, never in plain text, so no statement
    /// log can hold it. Returns true when the login was created.
    /// </summary>
    public static async Task<bool> EnsureLoginAsync(NpgsqlDataSource admin, string login, string password, CancellationToken cancellationToken = default)
    {
        var verifier = ScramVerifier.Create(password);
        await using var connection = await admin.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = login });
        var created = !(bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        // Utility statements take no parameters; the verifier is base64 and separators only, the name is quoted.
        await using var command = new NpgsqlCommand(
            $"{(created ? "CREATE" : "ALTER")} ROLE {Quote(login)} WITH LOGIN PASSWORD '{verifier}'", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Grants <paramref name="login"/> the use of <paramref name="schema"/>, run by the schema's owner (the migrating
    /// login). Refuses a login that could do more than that anyway: the owner itself, a member of the owner's role, a
    /// superuser, or one that may create roles or databases or bypass row security.
    /// </summary>
    public static async Task GrantAsync(NpgsqlDataSource owner, string schema, string login, CancellationToken cancellationToken = default)
    {
        var s = SqlIdentifier.Validate(schema, nameof(schema));
        var l = Quote(login);
        await using var connection = await owner.OpenConnectionAsync(cancellationToken);
        await RefuseWiderRightsAsync(connection, login, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {s} TO {l};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {l};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {s}.schema_migrations FROM {l};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {l};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {l};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {l};
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    static async Task RefuseWiderRightsAsync(NpgsqlConnection connection, string login, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls, pg_has_role($1, current_user, 'MEMBER')
            FROM pg_roles WHERE rolname = $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = login });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException(
                $"Login {login} does not exist: create it (CREATE ROLE ... LOGIN PASSWORD ...) or let migrate do it with Postgres:AdminConnectionString.");
        if (reader.GetBoolean(0))
            throw new InvalidOperationException($"Login {login} is a superuser or may create roles or databases or bypass row security: give the service a login without those rights.");
        if (reader.GetBoolean(1))
            throw new InvalidOperationException($"Login {login} is the migrating login or a member of it, so it has its DDL rights: give the service a login of its own.");
    }

    static string Quote(string identifier) =>
        string.IsNullOrEmpty(identifier) || identifier.Contains('\0')
            ? throw new ArgumentException("A login name must be non-empty and contain no NUL.", nameof(identifier))
            : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
