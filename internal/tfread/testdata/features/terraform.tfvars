env = "dev"
spokes = [
  { name = "aks", space = ["10.1.0.0/16"] },
]
