package armeval

import (
	"crypto/sha1"
	"encoding/hex"
	"math/bits"
	"strings"
)

// uniqueString implements ARM's uniqueString(): the arguments joined with
// '-', hashed with the 64-bit MurmurHash variant of ARM's expression engine
// (Microsoft.WindowsAzure.ResourceStack ComputeHash.MurmurHash64, seed 0,
// over the UTF-8 bytes) and written as 13 characters of lower-case base32
// (the hash's top 65 bits, 5 at a time, alphabet a-z2-7).
//
// Followed: Microsoft's MIT-licensed port of the ARM built-in functions in
// the Azure Policy linter (ExpressionBuiltInFunctions.UniqueString /
// Base32Encode, namespace Microsoft.WindowsAzure.Governance.PolicyLinter),
// cross-checked against the decompiled ResourceStack ComputeHash.MurmurHash64
// and the public uniquestring.sh port, whose self-test vectors ("verified
// against Bicep uniqueString() output") are the test cases in hash_test.go.
func uniqueString(args ...string) string {
	h := murmurHash64([]byte(strings.Join(args, "-")))
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var b [13]byte
	for i := range b {
		b[i] = alphabet[h>>59]
		h <<= 5
	}
	return string(b[:])
}

// murmurHash64 is ResourceStack's MurmurHash64 with seed 0: two 32-bit lanes
// over 8-byte blocks, combined as (h2 << 32) | h1.
func murmurHash64(data []byte) uint64 {
	const (
		c1 = 597399067  // 0x239b961b
		c2 = 2869860233 // 0xab0e9789
	)
	var h1, h2 uint32
	n := len(data)
	i := 0
	for ; i+7 < n; i += 8 {
		k1 := le32(data[i:])
		k2 := le32(data[i+4:])
		k1 = bits.RotateLeft32(k1*c1, 15) * c2
		h1 = (bits.RotateLeft32(h1^k1, 19)+h2)*5 + 1444728091
		k2 = bits.RotateLeft32(k2*c2, 17) * c1
		h2 = (bits.RotateLeft32(h2^k2, 13)+h1)*5 + 197830471
	}
	if rem := n - i; rem > 0 {
		k1 := leN(data[i:], min(rem, 4))
		h1 ^= bits.RotateLeft32(k1*c1, 15) * c2
		if rem > 4 {
			k2 := leN(data[i+4:], rem-4)
			h2 ^= bits.RotateLeft32(k2*c2, 17) * c1
		}
	}
	h1 ^= uint32(n)
	h2 ^= uint32(n)
	h1 += h2
	h2 += h1
	h1 = fmix32(h1)
	h2 = fmix32(h2)
	h1 += h2
	h2 += h1
	return uint64(h2)<<32 | uint64(h1)
}

func fmix32(h uint32) uint32 {
	h ^= h >> 16
	h *= 2246822507
	h ^= h >> 13
	h *= 3266489909
	h ^= h >> 16
	return h
}

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

func leN(b []byte, n int) uint32 {
	var v uint32
	for j := 0; j < n; j++ {
		v |= uint32(b[j]) << (8 * j)
	}
	return v
}

// armNamespace is the UUID namespace of ARM's guid() function
// (11fb06fb-712d-4ddd-98c7-e71bbd588830), in RFC 4122 network byte order.
var armNamespace = [16]byte{0x11, 0xfb, 0x06, 0xfb, 0x71, 0x2d, 0x4d, 0xdd, 0x98, 0xc7, 0xe7, 0x1b, 0xbd, 0x58, 0x88, 0x30}

// guid implements ARM's guid(): a name-based version 5 UUID (RFC 4122 §4.3,
// SHA-1) of the arguments joined with '-' in the ARM namespace.
//
// Followed: Microsoft's documentation of guid() ("implements the algorithm
// from RFC 4122 §4.3", source GuidUtility) and the namespace constant
// ARMNamespaceGuid of the Azure Policy linter's ExpressionBuiltInFunctions
// (MIT). No input/output pair produced by ARM itself was found in public
// material, so tests check the RFC algorithm (RFC 9562 appendix A.4 vector)
// and the namespace, not an ARM-confirmed output.
func guid(args ...string) string {
	return uuidV5(armNamespace, strings.Join(args, "-"))
}

func uuidV5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	sum := h.Sum(nil)
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	x := hex.EncodeToString(sum[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
