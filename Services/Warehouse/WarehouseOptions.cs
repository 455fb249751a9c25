namespace SagaDemo.Services.Warehouse;

/// <summary>One catalog entry: what a SKU costs and how many are on hand at start.</summary>
public sealed class CatalogItem
{
    public string Sku { get; set; } = "";
    public string Name { get; set; } = "";
    public decimal UnitPrice { get; set; }
    public int Stock { get; set; }
}

/// <summary>Configuration section <c>Warehouse</c>.</summary>
public sealed class WarehouseOptions
{
    public const string Section = "Warehouse";

    /// <summary>
    /// The demo catalog. "laptop" costs more than the default payment limit (declined payment demo);
    /// "unicorn" has no stock (out-of-stock demo).
    /// </summary>
    public static readonly IReadOnlyList<CatalogItem> DefaultCatalog =
    [
        new() { Sku = "apple", Name = "Apple", UnitPrice = 0.50m, Stock = 1000 },
        new() { Sku = "book", Name = "Paperback book", UnitPrice = 12.90m, Stock = 200 },
        new() { Sku = "keyboard", Name = "Mechanical keyboard", UnitPrice = 49.90m, Stock = 50 },
        new() { Sku = "headphones", Name = "Headphones", UnitPrice = 89.00m, Stock = 30 },
        new() { Sku = "monitor", Name = "27-inch monitor", UnitPrice = 239.00m, Stock = 10 },
        new() { Sku = "laptop", Name = "Laptop", UnitPrice = 1299.00m, Stock = 5 },
        new() { Sku = "unicorn", Name = "Plush unicorn", UnitPrice = 19.99m, Stock = 0 },
    ];

    /// <summary>Null means <see cref="DefaultCatalog"/>: binding a list onto a pre-filled one would append to it.</summary>
    public List<CatalogItem>? Catalog { get; set; }

    public IReadOnlyList<CatalogItem> EffectiveCatalog => Catalog ?? DefaultCatalog;
}
