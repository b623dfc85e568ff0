rules = {
  https = { priority = 100, port = 443 }
  deny  = { priority = 4000, port = 22, allow = false }
}
