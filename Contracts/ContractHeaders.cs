namespace SagaDemo.Contracts;

/// <summary>Record headers that are part of the contract (besides the value's JSON).</summary>
public static class ContractHeaders
{
    /// <summary>
    /// On <c>user-create</c> and <c>order-create</c>: the API client that asked for the operation. Believed only when
    /// the record carries the api service's signature; a plain client's record creates what no API client owns.
    /// </summary>
    public const string ClientId = "client-id";
}
