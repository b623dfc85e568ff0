variable "env" {
  type = string
}
variable "region_short" {
  type    = string
  default = "cc"
}
variable "location" {
  type    = string
  default = "Canada Central"
}
variable "hub_space" {
  type    = list(string)
  default = ["10.0.0.0/22"]
}
variable "spokes" {
  type = list(object({
    name  = string
    space = list(string)
  }))
  default = []
}
variable "rules" {
  type = map(object({
    priority = number
    port     = number
    allow    = optional(bool, true)
  }))
  default = {}
}
variable "workloads" {
  type    = number
  default = 1
}
