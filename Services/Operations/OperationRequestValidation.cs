using SagaDemo.Services.Hosting;
using SagaDemo.Services.Http;

namespace SagaDemo.Services.Operations;

/// <summary>
/// Field rules of the two operation requests; the limits are in <see cref="RequestLimits"/>. The one definition: the
/// HTTP API applies them to request bodies, and the consumers of <c>user-create</c> and <c>order-create</c> to every
/// record (see <see cref="Hosting.MessageRules"/>), so a Kafka client gets exactly the API's rules.
/// </summary>
public static class OperationRequestValidation
{
    public static Dictionary<string, string[]> Validate(UserCreateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        RequireText(errors, "name", request.Name, RequestLimits.MaxNameLength);
        if (request.Email is not null)
        {
            if (request.Email.Length > RequestLimits.MaxEmailLength)
                errors["email"] = [$"email must be at most {RequestLimits.MaxEmailLength} characters."];
            else if (request.Email.Any(char.IsControl))
                errors["email"] = ["email must not contain control characters."];
            else if (!EmailAddress.IsValid(request.Email))
                errors["email"] = ["email must be an address like name@example.com."];
        }
        return errors;
    }

    public static Dictionary<string, string[]> Validate(OrderCreateRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        RequireText(errors, "customerId", request.CustomerId, RequestLimits.MaxCustomerIdLength);
        ValidateItems(errors, request.Items);
        return errors;
    }

    /// <summary>The rules of an order's item list (count, SKUs, quantities), added to <paramref name="errors"/>.</summary>
    public static void ValidateItems(Dictionary<string, string[]> errors, IReadOnlyList<OrderItemRequest?>? items)
    {
        if (items is null || items.Count == 0)
        {
            errors["items"] = ["items must list at least one item."];
            return;
        }
        if (items.Count > RequestLimits.MaxItems)
        {
            errors["items"] = [$"items must list at most {RequestLimits.MaxItems} items."];
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors[$"items[{i}]"] = ["each item must be an object with sku and quantity."];
                continue;
            }
            RequireText(errors, $"items[{i}].sku", item.Sku, RequestLimits.MaxSkuLength);
            if (item.Quantity is not { } quantity)
                errors[$"items[{i}].quantity"] = ["quantity is required."];
            else if (quantity is < 1 or > RequestLimits.MaxQuantity)
                errors[$"items[{i}].quantity"] = [$"quantity must be between 1 and {RequestLimits.MaxQuantity}."];
        }
    }

    /// <summary>A required text field: not blank, at most <paramref name="maxLength"/> characters, no control characters.</summary>
    public static void RequireText(Dictionary<string, string[]> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors[field] = [$"{field} is required."];
        else if (value.Length > maxLength)
            errors[field] = [$"{field} must be at most {maxLength} characters."];
        else if (value.Any(char.IsControl))
            errors[field] = [$"{field} must not contain control characters."];
    }
}
