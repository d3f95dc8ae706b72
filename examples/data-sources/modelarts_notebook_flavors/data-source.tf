# CPU flavors on x86_64 that can be ordered now.
data "modelarts_notebook_flavors" "cpu" {
  category         = "CPU"
  arch             = "x86_64"
  exclude_sold_out = true
}

# The flavors an existing notebook may switch to in place.
data "modelarts_notebook_flavors" "switchable" {
  notebook_id = "6f1c3b8e-2d4a-4f7e-9b1c-0a2e4d6f8b10"
}

output "cpu_flavor_ids" {
  value = data.modelarts_notebook_flavors.cpu.flavors[*].id
}
