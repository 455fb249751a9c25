namespace SagaDemo.Services.Http;

/// <summary>Limits every JSON request body and field is held to; documented in the README.</summary>
public static class RequestLimits
{
    /// <summary>Largest request body accepted (64 KiB); larger bodies get 413.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public const int MaxNameLength = 100;

    /// <summary>RFC 5321's longest usable address.</summary>
    public const int MaxEmailLength = 254;

    public const int MaxCustomerIdLength = 64;

    public const int MaxSkuLength = 64;

    public const int MaxItems = 50;

    public const int MaxQuantity = 1000;

    /// <summary>Longest operation name accepted by the compatibility route.</summary>
    public const int MaxOperationNameLength = 100;
}
