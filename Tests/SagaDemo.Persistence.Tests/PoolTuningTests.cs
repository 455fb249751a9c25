using Npgsql;

namespace SagaDemo.Persistence.Tests;

/// <summary>The data source's pool settings: prepared hot statements and no reset per return, unless the connection string says otherwise.</summary>
public sealed class PoolTuningTests
{
    [Fact]
    public void A_plain_connection_string_gets_auto_prepare_and_no_reset_on_close()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.WithPoolTuning("Host=db;Maximum Pool Size=200"));

        Assert.Equal((64, true, 200), (tuned.MaxAutoPrepare, tuned.NoResetOnClose, tuned.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NoResetOnClose=false")]
    public void Settings_the_connection_string_names_are_kept(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PersistenceServiceCollectionExtensions.WithPoolTuning(connectionString));

        Assert.Equal((0, false), (tuned.MaxAutoPrepare, tuned.NoResetOnClose));
    }
}
