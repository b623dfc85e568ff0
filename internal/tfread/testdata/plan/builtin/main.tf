variable "name" { default = "vnet-hub" }
resource "terraform_data" "x" {
  input = { name = var.name, prefixes = ["10.0.0.0/22"] }
}
resource "terraform_data" "y" {
  input = terraform_data.x.id
}
