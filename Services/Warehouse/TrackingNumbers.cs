using System.Security.Cryptography;

namespace SagaDemo.Services.Warehouse;

/// <summary>A tracking number derived from the order id, so shipping the same order twice gives the same number.</summary>
public static class TrackingNumbers
{
    public static string For(Guid orderId) =>
        "TRK-" + Convert.ToHexString(SHA256.HashData(orderId.ToByteArray()), 0, 8);
}
