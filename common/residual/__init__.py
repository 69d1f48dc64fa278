"""Residual value 残值预测 (F32): the used vehicle's facts, the synthetic market, the shipped
model's trees and conformal interval, the value path and what is built on it."""
