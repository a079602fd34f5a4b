// One GET route on Kestrel, built like the appliance (slim builder, ASP.NET Core logs at Warning), so
// scripts/bench-api.sh can compare the appliance's routes with what Kestrel itself costs on this machine.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/", () => "Hello, world!");
app.Run();
